"""The annex gateway: an aggregated API server for the APIs ApiDefinitions declare."""
