"""Dutch postcodes (PC4) to coordinates and municipality, and distances between them."""
