"""Question + evidence -> intent and a plan of analyses."""
