"""What people are told, and when: in-app notifications and their stream, emails and their delivery,
calendar invites, reminders, and the notices of bookings, payments and calls."""
