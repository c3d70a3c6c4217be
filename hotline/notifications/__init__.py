"""Telling the citizen: a notification per answered or closed case, sent by SMS or WhatsApp.

``models`` holds the delivery rows, ``adapters`` the gateways, ``dispatch`` the queueing and
retries, ``message`` the text the citizen receives.
"""
