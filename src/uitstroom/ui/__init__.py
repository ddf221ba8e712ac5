"""The only package that imports PySide6: the window, views, dialogs and table models."""
