"""Search: Chinese bigram terms for every indexed page (terms.py), the Pagefind index built from
them (pagefind.py), and the rewrite that makes that index byte-identical between builds (stable.py)."""
