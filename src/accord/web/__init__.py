"""Web pages shared by every capability: layout, home, sign-in, parties."""
