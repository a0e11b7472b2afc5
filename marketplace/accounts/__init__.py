"""Accounts: users, sign-in, sessions that can be revoked, password reset and invitations."""
