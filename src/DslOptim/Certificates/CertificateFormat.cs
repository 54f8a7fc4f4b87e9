using System;
using System.Globalization;

namespace DslOptim.Certificates;

/// <summary>How certificates print numbers and three-valued answers.</summary>
internal static class CertificateFormat
{
    /// <summary>G6, invariant culture; NaN as <c>unknown</c>, ±∞ as <c>∞</c> / <c>-∞</c>.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "unknown";
        }
        if (double.IsPositiveInfinity(value))
        {
            return "∞";
        }
        if (double.IsNegativeInfinity(value))
        {
            return "-∞";
        }
        return value.ToString("G6", CultureInfo.InvariantCulture);
    }

    /// <summary><c>yes</c>, <c>no</c> or <c>unknown</c>.</summary>
    public static string Answer(bool? value) => value switch
    {
        true => "yes",
        false => "no",
        null => "unknown",
    };

    /// <summary>Kleene conjunction: false if any is false, else unknown if any is unknown, else true.</summary>
    public static bool? And(params ReadOnlySpan<bool?> values)
    {
        var unknown = false;
        foreach (var value in values)
        {
            if (value == false)
            {
                return false;
            }
            unknown |= value is null;
        }
        return unknown ? null : true;
    }

    /// <summary>A comparison that is unknown when a side is NaN.</summary>
    public static bool? Known(double operand, Func<double, bool> test) => double.IsNaN(operand) ? null : test(operand);
}
