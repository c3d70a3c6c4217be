"""The IVR's run_ivr.py commands, one module each (configure(parser), run(args))."""
