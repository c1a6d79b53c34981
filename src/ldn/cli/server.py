"""`ldn serve` and `ldn demo`: run the web app and create the synthetic demo patient."""
