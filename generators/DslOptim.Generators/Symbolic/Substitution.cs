using System;
using System.Linq;

namespace DslOptim.Generators.Symbolic;

/// <summary>Replaces symbols by expressions (a state's name by its new value), re-simplifying on the way up.</summary>
internal static class Substitution
{
    public static Expr Apply(Expr expr, Func<Symbol, Expr?> replacement) => expr switch
    {
        Symbol s => replacement(s) ?? s,
        Constant => expr,
        Negate n => Build.Negate(Apply(n.Operand, replacement)),
        Binary b => Build.Binary(b.Operator, Apply(b.Left, replacement), Apply(b.Right, replacement)),
        Call c => Build.Call(c.Function, c.Arguments.Select(a => Apply(a, replacement)).ToArray()),
        Conditional c => Build.Conditional(Apply(c.Test, replacement), Apply(c.WhenTrue, replacement), Apply(c.WhenFalse, replacement)),
        _ => expr,
    };

    private static Condition Apply(Condition condition, Func<Symbol, Expr?> replacement) => condition switch
    {
        Comparison c => new Comparison(c.Operator, Apply(c.Left, replacement), Apply(c.Right, replacement)),
        Logical l => new Logical(l.Operator, Apply(l.Left, replacement), Apply(l.Right, replacement)),
        Not n => new Not(Apply(n.Operand, replacement)),
        _ => condition,
    };
}
