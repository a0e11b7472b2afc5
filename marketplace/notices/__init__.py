"""In-app notices and reminders before deadlines and appointments."""
