"""The annex operator: turns ApiDefinitions into APIServices served by the annex gateway."""
