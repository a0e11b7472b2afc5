"""Demo data for a believable marketplace in the Utrecht region: `flask demo load`."""
