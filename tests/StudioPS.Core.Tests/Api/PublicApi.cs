using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace StudioPS.Core.Tests.Api;

/// <summary>The public surface of an assembly as text: one line per type and per public or protected member, sorted.</summary>
public static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add(TypeLine(type));
            // Members by name, then by signature: a diff then shows a change next to what it replaced.
            lines.AddRange(type.GetMembers(Declared)
                .Select(member => (member.Name, Line: MemberLine(type, member)))
                .Where(m => m.Line != null)
                .OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Line, StringComparer.Ordinal)
                .Select(m => "    " + m.Line));
        }
        return string.Join("\n", lines) + "\n";
    }

    private static string TypeLine(Type type)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct"
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate"
            : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : type.IsAbstract ? "abstract class" : "class";
        var bases = new List<string>();
        if (type.BaseType != null && type.BaseType != typeof(object) && type.BaseType != typeof(ValueType) && type.BaseType != typeof(Enum))
            bases.Add(Name(type.BaseType));
        // Only interfaces this type adds: those of its base (Exception's ISerializable, Enum's) depend on the runtime.
        var inherited = type.BaseType?.GetInterfaces() ?? Type.EmptyTypes;
        bases.AddRange(type.GetInterfaces().Except(inherited).Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).OrderBy(n => n, StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases))}";
    }

    private static string? MemberLine(Type type, MemberInfo member)
    {
        switch (member)
        {
            case ConstructorInfo ctor when Visible(ctor):
                return $"{Access(ctor)}{(ctor.IsStatic ? "static " : string.Empty)}.ctor({Parameters(ctor)})";
            case MethodInfo method when Visible(method) && !method.IsSpecialName:
                var returns = Name(method.ReturnType);
                if (!method.ReturnType.IsValueType && new NullabilityInfoContext().Create(method.ReturnParameter).ReadState == NullabilityState.Nullable) returns += "?";
                return $"{Access(method)}{Modifiers(method)}{returns} {method.Name}{Generic(method)}({Parameters(method)})";
            case PropertyInfo property:
                var get = property.GetMethod != null && Visible(property.GetMethod) ? "get; " : string.Empty;
                var set = property.SetMethod != null && Visible(property.SetMethod) ? "set; " : string.Empty;
                if (get.Length + set.Length == 0) return null;
                var accessor = (property.GetMethod != null && Visible(property.GetMethod) ? property.GetMethod : property.SetMethod)!;
                var propertyType = Name(property.PropertyType);
                if (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable) propertyType += "?";
                return $"{Access(accessor)}{Modifiers(accessor)}{propertyType} {property.Name} {{ {get}{set}}}";
            case FieldInfo field when Visible(field) && !field.IsSpecialName:
                if (type.IsEnum) return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue())}";
                return $"{(field.IsFamily ? "protected " : "public ")}{(field.IsLiteral ? "const " : field.IsStatic ? "static " : string.Empty)}{(field.IsInitOnly ? "readonly " : string.Empty)}{Name(field.FieldType)} {field.Name}";
            case EventInfo e when e.AddMethod != null && Visible(e.AddMethod):
                return $"{Access(e.AddMethod)}event {Name(e.EventHandlerType!)} {e.Name}";
            case Type nested when nested.IsNestedPublic || nested.IsNestedFamily:
                return "nested " + Name(nested);
            default:
                return null;
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;
    private static bool Visible(FieldInfo field) => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly;
    private static string Access(MethodBase method) => method.IsPublic ? "public " : "protected ";

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic) return "static ";
        if (method.DeclaringType!.IsInterface) return string.Empty;
        if (method.IsAbstract) return "abstract ";
        if (method.GetBaseDefinition().DeclaringType != method.DeclaringType) return "override ";
        return method.IsVirtual && !method.IsFinal ? "virtual " : string.Empty;
    }

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(MethodBase method)
    {
        var nullability = new NullabilityInfoContext();
        return string.Join(", ", method.GetParameters().Select(p =>
        {
            var type = p.ParameterType.IsByRef ? (p.IsOut ? "out " : "ref ") + Name(p.ParameterType.GetElementType()!) : Name(p.ParameterType);
            if (!p.ParameterType.IsValueType && nullability.Create(p).ReadState == NullabilityState.Nullable) type += "?";
            var optional = p.HasDefaultValue ? " = " + (p.DefaultValue == null ? (p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) == null ? "default" : "null") : p.DefaultValue is string s ? "\"" + s + "\"" : p.DefaultValue is bool b ? (b ? "true" : "false") : p.DefaultValue.ToString()) : string.Empty;
            return $"{type} {p.Name}{optional}";
        }));
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(int)] = "int", [typeof(long)] = "long", [typeof(double)] = "double",
        [typeof(string)] = "string", [typeof(object)] = "object", [typeof(byte)] = "byte", [typeof(char)] = "char",
    };

    private static string Name(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword)) return keyword;
        if (type.IsGenericParameter) return type.Name;
        if (Nullable.GetUnderlyingType(type) is { } inner) return Name(inner) + "?";
        if (type.IsArray) return Name(type.GetElementType()!) + "[]";
        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : (type.Namespace == null ? type.Name : type.Namespace + "." + type.Name);
        if (!type.IsGenericType) return name;
        name = name.Substring(0, name.IndexOf('`'));
        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }

    /// <summary>Lines only in <paramref name="expected"/> (-) and only in <paramref name="actual"/> (+), in the order of the surface.</summary>
    public static string Diff(string expected, string actual)
    {
        var before = expected.Replace("\r\n", "\n").Split('\n').Where(l => l.Length > 0).ToList();
        var after = actual.Split('\n').Where(l => l.Length > 0).ToList();
        var removed = new HashSet<string>(before.Except(after));
        var added = new HashSet<string>(after.Except(before));
        var text = new StringBuilder();
        foreach (var line in before.Where(removed.Contains)) text.Append("- ").AppendLine(line);
        foreach (var line in after.Where(added.Contains)) text.Append("+ ").AppendLine(line);
        return text.ToString();
    }

    /// <summary>The folder of this source file, where the baseline files live next to the test.</summary>
    public static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
