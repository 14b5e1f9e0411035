"""What every chat adapter shares."""
