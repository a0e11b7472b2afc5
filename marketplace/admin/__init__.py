"""The functional administrator's pages: accounts and organisations."""
