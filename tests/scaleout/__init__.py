"""Scale-out on one machine as on many: two of each process behind a real sticky proxy."""
