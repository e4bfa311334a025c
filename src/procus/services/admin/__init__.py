"""The platform run by its admins: the audit trail of their actions, and their views and decisions on
users, experts, bookings, money and reports."""
