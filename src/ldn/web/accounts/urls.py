from django.contrib.auth import views as auth_views
from django.urls import path

from ldn.web.accounts import lockout, onboarding, views
from ldn.web.methods import methods

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("welcome/", onboarding.resume, name="onboarding"),
    path("welcome/<slug:step>/", onboarding.step_view, name="onboarding_step"),
    path("delete/", views.delete_account, name="delete_account"),
    path("login/", methods("GET", "POST")(auth_views.LoginView.as_view()), name="login"),
    path("logout/", methods("POST")(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        methods("GET", "POST")(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password/change/done/",
        methods("GET")(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        methods("GET", "POST")(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        methods("GET")(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        methods("GET", "POST")(lockout.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        methods("GET")(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
