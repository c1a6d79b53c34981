"""Django project for LDN Companion: the web face over the domain core in `ldn.*`."""
