"""The personal plan (PIP): versioned, agreed by the newcomer, with the activities and deadlines."""
