"""Use cases on top of storage: one transaction each, frozen records in and out, no Qt."""
