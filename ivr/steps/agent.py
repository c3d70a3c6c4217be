"""The agent queue: context as channel variables, then EXEC Queue; outside office hours, no_agents.

A caller who presses the callback key in the queue (offered by Asterisk every
callback_offer_seconds) keeps their place and is called back (``ivr.callbacks``).
"""
from hotline import events
from hotline.models import Call, utcnow
from ivr import callbacks
from ivr.steps import register


@register("agent")
def run(call, options) -> str | None:
    """Queue the caller for an agent, or take the complaint when nobody is on duty."""
    if not call.on_duty():
        call.play(options["closed_prompt"])
        call.record_step(options["closed_prompt"], None, "closed")
        return options.get("closed_next", "goodbye")
    call.play(options["prompt"])
    complaint, queue = call.complaint, call.conf.queue_name
    for name, value in (("SHAKWA_CALL_ID", call.call_id), ("SHAKWA_CASE", complaint.case_number),
                        ("SHAKWA_CATEGORY", complaint.category), ("SHAKWA_LANGUAGE", call.language)):
        call.agi.set_variable(name, value or "")
    call.record_step(options["prompt"], None, "queued")
    call.outcome = "queued"

    def mark_queued(session) -> None:
        session.get(Call, call.call_id).outcome = "queued"
        events.publish_after_commit(session, events.Event(
            "call.queued", call_id=call.call_id, case_id=complaint.case_id,
            payload={"queue": queue, "category": complaint.category, "language": call.language}))

    # Saved before Queue() starts: the queue holds the call for the whole conversation. With the
    # database down it is journaled now, as a complaint is: this process may not outlive the queue.
    if call.call_id is None or not call.write(mark_queued):
        call.journal(outcome="queued")
    joined = utcnow()
    call.agi.exec_app("Queue", f"{queue},,,,{int(options.get('queue_timeout_s', 300))}")
    # Queue() gives -1 both when the caller hung up and when the agent did (the caller still
    # there); the channel's status tells which (511 on a dead channel raises CallerHungUp).
    call.agi.channel_status()
    key = str(options.get("callback_key") or "")
    if key and call.conf.callback_offer_seconds and callbacks.left_for_callback(call, key):
        callbacks.request(call, joined)
        call.record_step(options["callback_confirmed_prompt"], key, "callback")
        call.outcome = "callback"
        call.play(options["callback_confirmed_prompt"])
    return None
