"""What a newcomer can see and ask about their own data: export and erasure."""
