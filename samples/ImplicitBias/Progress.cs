using System;
using System.Diagnostics;
using System.IO;

namespace ImplicitBias;

/// <summary>
/// A progress line on long runs. On a terminal it is one line rewritten in place with '\r' a few times a
/// second and cleared when a run ends; on anything else (a file, a pipe, a test's writer) each run is announced
/// once on its own line, so logs stay readable.
/// </summary>
public sealed class Progress
{
    private readonly TextWriter _writer;
    private readonly bool _terminal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastMilliseconds = long.MinValue;
    private int _lastWidth;
    private string _label = "";

    public Progress(TextWriter writer, bool terminal)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _terminal = terminal;
    }

    /// <summary>Announces a run.</summary>
    public void Begin(string label)
    {
        _label = label;
        if (_terminal)
        {
            Rewrite(label);
        }
        else
        {
            _writer.WriteLine(label);
            _writer.Flush();
        }
    }

    /// <summary>Updates the line (terminal only, at most about five times a second).</summary>
    public void Report(long step, double gradientNorm)
    {
        if (!_terminal)
        {
            return;
        }
        var now = _clock.ElapsedMilliseconds;
        if (now - _lastMilliseconds < 200)
        {
            return;
        }
        _lastMilliseconds = now;
        Rewrite(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_label}: step {step}, ‖∇L‖ = {gradientNorm:0.00e+00}"));
    }

    /// <summary>Clears the line (terminal only).</summary>
    public void End()
    {
        if (_terminal && _lastWidth > 0)
        {
            _writer.Write('\r' + new string(' ', _lastWidth) + '\r');
            _writer.Flush();
            _lastWidth = 0;
        }
    }

    private void Rewrite(string text)
    {
        var padded = text.Length < _lastWidth ? text + new string(' ', _lastWidth - text.Length) : text;
        _writer.Write('\r' + padded);
        _writer.Flush();
        _lastWidth = text.Length;
    }
}
