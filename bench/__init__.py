"""Speed and memory budgets, run on demand (`make bench`); they print figures, they never fail CI."""
