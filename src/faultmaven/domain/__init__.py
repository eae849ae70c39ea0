"""Plain models shared by every layer; imports nothing else of FaultMaven."""
