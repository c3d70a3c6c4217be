"""A fake Asterisk that speaks AGI as the captures in shared/asterisk-agi-traces show."""
