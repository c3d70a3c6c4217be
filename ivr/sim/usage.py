"""Asterisk 22.10.1's usage text for AGI commands, as the 520 replies in the traces carry it."""

USAGE: dict[str, tuple[str, ...]] = {
    'STREAM FILE': (
        'Send the given file, allowing playback to be interrupted by the given digits, if any. Returns <literal>0</literal> if playback completes without a digit being pressed, or the ASCII numerical value of the digit if one was pressed, or <literal>-1</literal> on error or if the channel was disconnected. If musiconhold is playing before calling stream file it will be automatically stopped and will not be restarted after completion.',
        'It sets the following channel variables upon completion:',
        '<variable>PLAYBACKSTATUS</variable>: The status of the playback attempt as a text string.',
        '    <value>SUCCESS</value>',
        '    <value>FAILED</value>',
    ),
    'SAY NUMBER': (
        'Say a given number, returning early if any of the given DTMF digits are received on the channel.  Returns <literal>0</literal> if playback completes without a digit being pressed, or the ASCII numerical value of the digit if one was pressed or <literal>-1</literal> on error/hangup.',
    ),
    'GET DATA': (
        'Stream the given <replaceable>file</replaceable>, and receive DTMF data.',
        'Returns the digits received from the channel at the other end.',
    ),
    'WAIT FOR DIGIT': (
        'Waits up to <replaceable>timeout</replaceable> milliseconds for channel to receive a DTMF digit. Returns <literal>-1</literal> on channel failure, <literal>0</literal> if no digit is received in the timeout, or the numerical value of the ascii of the digit if one is received. Use <literal>-1</literal> for the <replaceable>timeout</replaceable> value if you desire the call to block indefinitely.',
    ),
    'SET VARIABLE': (
        'Sets a variable to the current channel.',
    ),
    'RECORD FILE': (
        'Record to a file until a given dtmf digit in the sequence is received. Returns <literal>-1</literal> on hangup or error.  The format will specify what kind of file will be recorded. The <replaceable>timeout</replaceable> is the maximum record time in milliseconds, or <literal>-1</literal> for no <replaceable>timeout</replaceable>. <replaceable>offset samples</replaceable> is optional, and, if provided, will seek to the offset without exceeding the end of the file. <replaceable>beep</replaceable> can take any value, and causes Asterisk to play a beep to the channel that is about to be recorded. <replaceable>silence</replaceable> is the number of seconds of silence allowed before the function returns despite the lack of dtmf digits or reaching <replaceable>timeout</replaceable>. <replaceable>silence</replaceable> value must be preceded by <literal>s=</literal> and is also optional.',
    ),
}

GENERIC = ("Usage: see the Asterisk AGI documentation for this command.",)
