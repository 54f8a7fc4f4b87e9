using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Xunit;

namespace DslOptim.Tests.Infrastructure;

/// <summary>
/// The one closeness rule of these tests: |actual − expected| ≤ rel·max(1, |expected|), a relative bound
/// that becomes absolute below magnitude 1. NaN or ±∞ on either side is never close.
/// </summary>
public static class Tolerance
{
    public static bool Close(double actual, double expected, double relative)
        => double.IsFinite(actual) && double.IsFinite(expected)
           && Math.Abs(actual - expected) <= relative * Math.Max(1.0, Math.Abs(expected));

    /// <summary>Collects failures and asserts once, listing the first few with full precision.</summary>
    public sealed class Report
    {
        private const int Shown = 12;
        private readonly string _subject;
        private readonly List<string> _failures = new();
        private int _count;

        public Report(string subject) => _subject = subject;

        public int Checked { get; private set; }

        public void Check(double actual, double expected, double relative, string where)
        {
            Checked++;
            if (!Close(actual, expected, relative))
            {
                Fail(where + string.Create(CultureInfo.InvariantCulture,
                    $": expected {expected:R}, actual {actual:R}, |diff| = {Math.Abs(actual - expected):R}, allowed {relative * Math.Max(1.0, Math.Abs(expected)):R}"));
            }
        }

        /// <summary>A check that is right or wrong, such as a bitwise comparison.</summary>
        public void CheckThat(bool ok, string message)
        {
            Checked++;
            if (!ok)
            {
                Fail(message);
            }
        }

        public void Fail(string message)
        {
            _count++;
            if (_failures.Count < Shown)
            {
                _failures.Add(message);
            }
        }

        public void Assert()
        {
            if (_count == 0)
            {
                Xunit.Assert.True(Checked > 0, $"{_subject}: nothing was checked.");
                return;
            }
            var text = new StringBuilder();
            text.Append(_subject).Append(": ").Append(_count).Append(" failure(s) of ").Append(Checked).AppendLine(" checks");
            foreach (var failure in _failures)
            {
                text.Append("  ").AppendLine(failure);
            }
            Xunit.Assert.Fail(text.ToString());
        }
    }
}
