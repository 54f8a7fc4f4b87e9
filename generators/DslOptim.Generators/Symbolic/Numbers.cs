using System.Globalization;

namespace DslOptim.Generators.Symbolic;

/// <summary>Culture-invariant, round-trip formatting of every number the generator writes.</summary>
internal static class Numbers
{
    /// <summary>A C# <c>double</c> literal that parses back to exactly <paramref name="value"/>.</summary>
    public static string CSharpLiteral(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }
        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0)
        {
            text += ".0";
        }
        return text;
    }

    /// <summary>A number as a comment shows it: shortest round-trip form.</summary>
    public static string MathText(double value) => double.IsPositiveInfinity(value) ? "∞"
        : double.IsNegativeInfinity(value) ? "−∞"
        : value.ToString("R", CultureInfo.InvariantCulture).Replace("-", "−");
}
