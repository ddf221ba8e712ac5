"""One controller per area of the window (Vorta's tabs, each owning its behaviour): its menu
actions, its dialogs and the services it needs. The window lays them out and passes on what
changed (ui/change.py)."""
