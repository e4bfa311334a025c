"""People's accounts: their own profile and settings, avatars, and what admins do to accounts."""
