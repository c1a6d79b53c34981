// The "Copy link" buttons of the reminders page (the page works without: the link is shown).
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.copy);
    var status = document.getElementById("copy-status");
    input.select();
    var done = function () { status.textContent = "Link copied."; };
    if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); }); }
    else { document.execCommand("copy"); done(); }
  });
});
