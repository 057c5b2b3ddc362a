"""The JSON API: schemas, routes and the dependencies they share."""
