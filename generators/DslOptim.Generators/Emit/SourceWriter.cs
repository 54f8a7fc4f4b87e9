using System.Text;

namespace DslOptim.Generators.Emit;

/// <summary>A small indentation-aware writer: blocks open and close, lines are indented for you.</summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _text.Append(IndentUnit);
            }
            _text.Append(line);
        }
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of <paramref name="text"/> behind the given prefix (e.g. "// ").</summary>
    public SourceWriter Lines(string prefix, string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line((prefix + line).TrimEnd());
        }
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
        return this;
    }

    public override string ToString() => _text.ToString();
}
