"""What the whole program shares and no layer owns: its settings."""
