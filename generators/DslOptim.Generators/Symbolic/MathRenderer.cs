using System;
using System.Text;

namespace DslOptim.Generators.Symbolic;

/// <summary>
/// Renders the IR in a math-like notation for comments, the generated file's header and <c>Info</c>:
/// |x|, √x, x², a·b, s ≤ ε ? a : b. Parentheses only where precedence needs them.
/// </summary>
internal static class MathRenderer
{
    private const int ConditionalLevel = 0;
    private const int SumLevel = 1;
    private const int ProductLevel = 2;
    private const int UnaryLevel = 3;
    private const int AtomLevel = 4;

    public static string Render(Expr expr)
    {
        var text = new StringBuilder();
        Write(text, expr, ConditionalLevel);
        return text.ToString();
    }

    public static string Render(Condition condition)
    {
        var text = new StringBuilder();
        Write(text, condition);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Expr expr, int context)
    {
        var level = Level(expr);
        var parenthesize = level < context;
        if (parenthesize)
        {
            text.Append('(');
        }
        switch (expr)
        {
            case Constant c:
                text.Append(Numbers.MathText(c.Value));
                break;
            case Symbol s:
                text.Append(SymbolText(s));
                break;
            case Negate n:
                text.Append('−');
                Write(text, n.Operand, UnaryLevel);
                break;
            case Binary b:
                WriteBinary(text, b);
                break;
            case Call c:
                WriteCall(text, c);
                break;
            case Conditional c:
                Write(text, c.Test);
                text.Append(" ? ");
                Write(text, c.WhenTrue, SumLevel);
                text.Append(" : ");
                Write(text, c.WhenFalse, ConditionalLevel);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expr));
        }
        if (parenthesize)
        {
            text.Append(')');
        }
    }

    private static void WriteBinary(StringBuilder text, Binary b)
    {
        switch (b.Operator)
        {
            case BinaryOperator.Add:
                Write(text, b.Left, SumLevel);
                text.Append(" + ");
                Write(text, b.Right, SumLevel + 1);
                break;
            case BinaryOperator.Subtract:
                Write(text, b.Left, SumLevel);
                text.Append(" − ");
                Write(text, b.Right, SumLevel + 1);
                break;
            case BinaryOperator.Multiply:
                Write(text, b.Left, ProductLevel);
                text.Append('·');
                Write(text, b.Right, ProductLevel + 1);
                break;
            case BinaryOperator.Divide:
                Write(text, b.Left, ProductLevel);
                text.Append('/');
                Write(text, b.Right, UnaryLevel);
                break;
        }
    }

    private static void WriteCall(StringBuilder text, Call c)
    {
        switch (c.Function)
        {
            case MathFunction.Abs:
                text.Append('|');
                Write(text, c.Argument, ConditionalLevel);
                text.Append('|');
                return;
            case MathFunction.Sqrt:
                text.Append('√');
                Write(text, c.Argument, AtomLevel);
                return;
            case MathFunction.Pow:
                Write(text, c.Arguments[0], AtomLevel);
                text.Append('^');
                Write(text, c.Arguments[1], AtomLevel);
                return;
        }
        text.Append(MathFunctions.Get(c.Function).MathName).Append('(');
        for (var i = 0; i < c.Arguments.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }
            Write(text, c.Arguments[i], ConditionalLevel);
        }
        text.Append(')');
    }

    private static void Write(StringBuilder text, Condition condition)
    {
        switch (condition)
        {
            case Comparison c:
                Write(text, c.Left, SumLevel);
                text.Append(' ').Append(OperatorText(c.Operator)).Append(' ');
                Write(text, c.Right, SumLevel);
                break;
            case Logical l:
                text.Append('(');
                Write(text, l.Left);
                text.Append(l.Operator == LogicalOperator.And ? " ∧ " : " ∨ ");
                Write(text, l.Right);
                text.Append(')');
                break;
            case Not n:
                text.Append("¬(");
                Write(text, n.Operand);
                text.Append(')');
                break;
        }
    }

    private static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "≤",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => "≥",
        ComparisonOperator.Equal => "=",
        _ => "≠",
    };

    /// <summary>States read the way papers write them: m_{t−1} before the step, m_t after.</summary>
    private static string SymbolText(Symbol s)
    {
        var lower = s.Name.Length > 0 ? char.ToLowerInvariant(s.Name[0]) + s.Name.Substring(1) : s.Name;
        return s.Kind switch
        {
            SymbolRole.StatePrevious or SymbolRole.ScalarPrevious => lower + "_{t−1}",
            SymbolRole.StateCurrent or SymbolRole.ScalarCurrent => lower + "_t",
            SymbolRole.Reduction => lower,
            _ => s.Name,
        };
    }

    private static int Level(Expr expr) => expr switch
    {
        Constant c => c.Value < 0 ? UnaryLevel : AtomLevel,
        Symbol or Call => AtomLevel,
        Negate => UnaryLevel,
        Binary { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => SumLevel,
        Binary => ProductLevel,
        Conditional => ConditionalLevel,
        _ => AtomLevel,
    };
}
