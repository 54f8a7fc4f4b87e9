using System;
using DslOptim.Generators.Analysis;
using Xunit;

namespace DslOptim.Generators.Tests.Analysis;

/// <summary>Interval.Atan2 encloses Math.Atan2 at every sampled point of the box, in every quadrant and across the cut.</summary>
public class Atan2IntervalTests
{
    [Fact]
    public void Every_sampled_point_lies_in_the_enclosure()
    {
        var random = new Random(11);
        double Bound() => random.Next(4) switch
        {
            0 => 0.0,
            1 => (random.NextDouble() - 0.5) * 1e-3,
            2 => (random.NextDouble() - 0.5) * 10,
            _ => (random.NextDouble() - 0.5) * 1e6,
        };
        for (var box = 0; box < 5000; box++)
        {
            double y0 = Bound(), y1 = Bound(), x0 = Bound(), x1 = Bound();
            var y = new Interval(Math.Min(y0, y1), Math.Max(y0, y1));
            var x = new Interval(Math.Min(x0, x1), Math.Max(x0, x1));
            var enclosure = Interval.Atan2(y, x);
            for (var i = 0; i <= 20; i++)
            {
                for (var j = 0; j <= 20; j++)
                {
                    var py = Math.Min(y.Hi, y.Lo + (y.Hi - y.Lo) * i / 20);
                    var px = Math.Min(x.Hi, x.Lo + (x.Hi - x.Lo) * j / 20);
                    var value = Math.Atan2(py, px);
                    Assert.True(enclosure.Contains(value), $"atan2({py:R}, {px:R}) = {value:R} outside {enclosure} for y ∈ {y}, x ∈ {x}");
                }
            }
        }
    }

    [Fact]
    public void Boxes_off_the_cut_get_narrow_enclosures()
    {
        // x > 0: atan(y/x); y > 0 with x < 0: π/2 − atan(x/y); only a box meeting x ≤ 0, y = 0 gets [−π, π].
        var right = Interval.Atan2(new Interval(1, 1), new Interval(1, 1));
        Assert.True(right.Contains(Math.PI / 4) && right.Hi - right.Lo < 1e-14);
        var upperLeft = Interval.Atan2(new Interval(1, 2), new Interval(-2, -1));
        Assert.True(upperLeft.Lo >= Math.Atan2(2, -1) - 1e-14 && upperLeft.Hi <= Math.Atan2(1, -2) + 1e-14);
        var lowerLeft = Interval.Atan2(new Interval(-2, -1), new Interval(-2, -1));
        Assert.True(lowerLeft.Lo >= Math.Atan2(-1, -2) - 1e-14 && lowerLeft.Hi <= Math.Atan2(-2, -1) + 1e-14);
        var cut = Interval.Atan2(new Interval(-1, 1), new Interval(-2, -1));
        Assert.True(cut.Lo <= -Math.PI && cut.Hi >= Math.PI);
    }
}
