"""The 16528 IVR: AGI/FastAGI protocol, the call, the menu engine and its steps, the AMI bridge."""
