"""Trust between clients and experts: reviews, blocks, favorites and disputes over a consultation."""
