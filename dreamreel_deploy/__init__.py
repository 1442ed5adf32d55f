"""Deployment glue that the Dagster webserver and daemon load from the instance config.

Kept apart from `dreamreel_assets` (and free of its dependencies) so the `dagster` image, which
runs the webserver and the daemon, needs only Dagster's own packages and this one.
"""
