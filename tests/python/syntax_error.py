"""Not Python."""
def f(:
    pass
