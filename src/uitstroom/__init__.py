"""Uitstroom: de laatstejaars, hun route na school, de overdracht en de nazorg."""

__version__ = "0.1.0"
APP_NAME = "Uitstroom"
APP_ORG = "Uitstroom"
