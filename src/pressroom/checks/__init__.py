"""Validators of built outputs, one module per format; `pressroom.check` runs them all."""
