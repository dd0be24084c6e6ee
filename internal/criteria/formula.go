package criteria

import (
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// formula is an indicator's value derived from data elements, e.g.
// "100 * ho_nuoc_sach / tong_so_ho", compiled once per set with expr-lang/expr.
type formula struct {
	src  string
	prog *vm.Program
	vars []string // data elements it reads, in order of first use
	// allVars is vars joined by ", ": the detail of a verdict for which none has a value.
	allVars string
	// slots are the vector slots of vars, set by Compile.
	slots []int
	// rpn is the formula as a stack program when it is plain arithmetic (numbers, data
	// elements, + - * /, unary minus) over at most maxFastVars elements: evaluated without
	// expr's VM, it allocates nothing, which a national evaluation needs.
	rpn []rpnOp
}

const (
	maxFastVars  = 8
	maxFastStack = 16
)

type rpnOp struct {
	op  byte // 'c' constant, 'v' variable, '+', '-', '*', '/', 'n' negate
	num float64
	idx int
}

// Functions a formula may call; everything else (closures, member access, string
// functions…) is refused at load so that formulas stay arithmetic over data elements.
var formulaFuncs = []string{"abs", "ceil", "floor", "round", "min", "max"}

func compileFormula(src string) (*formula, error) {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s", bi("công thức không hợp lệ: "+firstLine(err.Error()), "invalid formula"))
	}
	f := &formula{src: src}
	if err := f.check(tree.Node); err != nil {
		return nil, err
	}
	opts := []expr.Option{expr.Env(map[string]any{}), expr.AllowUndefinedVariables(), expr.DisableAllBuiltins()}
	for _, fn := range formulaFuncs {
		opts = append(opts, expr.EnableBuiltin(fn))
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s", bi("công thức không hợp lệ: "+firstLine(err.Error()), "invalid formula"))
	}
	f.prog = prog
	f.allVars = strings.Join(f.vars, ", ")
	if len(f.vars) <= maxFastVars {
		if rpn, ok := toRPN(tree.Node, f.vars, nil); ok && stackDepth(rpn) <= maxFastStack {
			f.rpn = rpn
		}
	}
	return f, nil
}

// toRPN turns plain arithmetic into a stack program; ok is false for anything else.
func toRPN(n ast.Node, vars []string, out []rpnOp) ([]rpnOp, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return append(out, rpnOp{op: 'c', num: float64(n.Value)}), true
	case *ast.FloatNode:
		return append(out, rpnOp{op: 'c', num: n.Value}), true
	case *ast.IdentifierNode:
		for i, v := range vars {
			if v == n.Value {
				return append(out, rpnOp{op: 'v', idx: i}), true
			}
		}
	case *ast.UnaryNode:
		if n.Operator != "-" && n.Operator != "+" {
			return nil, false
		}
		out, ok := toRPN(n.Node, vars, out)
		if ok && n.Operator == "-" {
			out = append(out, rpnOp{op: 'n'})
		}
		return out, ok
	case *ast.BinaryNode:
		if len(n.Operator) != 1 || !strings.Contains("+-*/", n.Operator) {
			return nil, false
		}
		out, ok := toRPN(n.Left, vars, out)
		if !ok {
			return nil, false
		}
		if out, ok = toRPN(n.Right, vars, out); !ok {
			return nil, false
		}
		return append(out, rpnOp{op: n.Operator[0]}), true
	}
	return nil, false
}

func stackDepth(rpn []rpnOp) int {
	d, most := 0, 0
	for _, o := range rpn {
		switch o.op {
		case 'c', 'v':
			d++
		case 'n':
		default:
			d--
		}
		most = max(most, d)
	}
	return most
}

func (f *formula) evalRPN(xs *[maxFastVars]float64) float64 {
	var st [maxFastStack]float64
	sp := 0
	for _, o := range f.rpn {
		switch o.op {
		case 'c':
			st[sp] = o.num
			sp++
		case 'v':
			st[sp] = xs[o.idx]
			sp++
		case 'n':
			st[sp-1] = -st[sp-1]
		case '+':
			sp--
			st[sp-1] += st[sp]
		case '-':
			sp--
			st[sp-1] -= st[sp]
		case '*':
			sp--
			st[sp-1] *= st[sp]
		case '/':
			sp--
			st[sp-1] /= st[sp]
		}
	}
	return st[0]
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// check walks the syntax tree, refusing what a formula has no use for, and collects the
// data elements it names.
func (f *formula) check(n ast.Node) error {
	refuse := func(what string) error {
		return fmt.Errorf("%s", bi(fmt.Sprintf("công thức %q dùng %s; chỉ được dùng số, phần tử dữ liệu, + - * / ^, so sánh, and/or/not, điều kiện ? : và các hàm %s",
			f.src, what, strings.Join(formulaFuncs, ", ")), "formulas may only use numbers, data elements, arithmetic, comparisons, logic and "+strings.Join(formulaFuncs, ", ")))
	}
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if !contains(f.vars, n.Value) {
			f.vars = append(f.vars, n.Value)
		}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
	case *ast.UnaryNode:
		return f.check(n.Node)
	case *ast.BinaryNode:
		if n.Operator == ".." || n.Operator == "??" || n.Operator == "|" {
			return refuse("toán tử " + n.Operator)
		}
		if err := f.check(n.Left); err != nil {
			return err
		}
		return f.check(n.Right)
	case *ast.ConditionalNode:
		for _, c := range []ast.Node{n.Cond, n.Exp1, n.Exp2} {
			if err := f.check(c); err != nil {
				return err
			}
		}
	case *ast.ArrayNode:
		for _, c := range n.Nodes {
			if err := f.check(c); err != nil {
				return err
			}
		}
	case *ast.BuiltinNode:
		if !contains(formulaFuncs, n.Name) {
			return refuse("hàm " + n.Name)
		}
		for _, a := range n.Arguments {
			if err := f.check(a); err != nil {
				return err
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok || !contains(formulaFuncs, id.Value) {
			return refuse("lời gọi hàm")
		}
		for _, a := range n.Arguments {
			if err := f.check(a); err != nil {
				return err
			}
		}
	case *ast.StringNode:
		return refuse("chuỗi ký tự")
	default:
		return refuse(fmt.Sprintf("cú pháp %T", n))
	}
	return nil
}

// problem says why a value could not be had or compared.
type problem uint8

const (
	probNone            problem = iota
	probDivZero                 // the formula divided by zero
	probUnknownElem             // the formula names an element with no value
	probFormula                 // another failure while running the formula
	probFormulaType             // the formula's result has the wrong type
	probValueType               // the entered value has the wrong type for the indicator
	probLevel                   // the grade is not one of the indicator's levels
	probNoChildren              // an aggregate over no child units
	probCompile                 // the formula could not be compiled
	probMissingElems            // none of the formula's elements has a value (status missing)
	probMissingChildren         // no child results given for an aggregate (status missing)
)

// scratch is what one evaluation reuses to run formulas without allocating a VM each time.
type scratch struct {
	vm  vm.VM
	env map[string]any
	vec []Value
}

// run computes the formula from vals. It never panics: expr's VM recovers from runtime
// panics and returns them as errors.
func (f *formula) run(sc *scratch, vec []Value, kind Kind) (Value, problem, string) {
	if f.rpn != nil && (kind == KindNumber || kind == KindPercent) {
		var xs [maxFastVars]float64
		fast := true
		for i, slot := range f.slots {
			v := vec[slot]
			if v.Kind != ValueNumber {
				fast = false
				break
			}
			xs[i] = v.Num
		}
		if fast {
			x := f.evalRPN(&xs)
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return Value{}, probDivZero, f.src
			}
			return Number(x), probNone, ""
		}
	}
	missing := 0
	for _, slot := range f.slots {
		if k := vec[slot].Kind; k == ValueNone || k == ValueNotApplicable {
			missing++
		}
	}
	if missing == len(f.vars) && missing > 0 {
		return Value{}, probMissingElems, f.allVars // no data at all: the common case, not allocated
	}
	if missing > 0 {
		names := make([]string, 0, missing)
		for i, slot := range f.slots {
			if k := vec[slot].Kind; k == ValueNone || k == ValueNotApplicable {
				names = append(names, f.vars[i])
			}
		}
		return Value{}, probUnknownElem, strings.Join(names, ", ")
	}
	if sc == nil {
		sc = &scratch{env: map[string]any{}}
	}
	for i, slot := range f.slots {
		v := vec[slot]
		switch v.Kind {
		case ValueNumber:
			sc.env[f.vars[i]] = v.Num
		case ValueBool:
			sc.env[f.vars[i]] = v.Bool
		case ValueLevel:
			sc.env[f.vars[i]] = v.Level
		}
	}
	out, err := sc.vm.Run(f.prog, sc.env)
	if err != nil {
		msg := firstLine(err.Error())
		if strings.Contains(msg, "divide by zero") {
			return Value{}, probDivZero, msg
		}
		return Value{}, probFormula, msg
	}
	var v Value
	switch x := out.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return Value{}, probDivZero, f.src
		}
		v = Number(x)
	case int:
		v = Number(float64(x))
	case bool:
		v = Bool(x)
	case string:
		v = Level(x)
	default:
		return Value{}, probFormulaType, fmt.Sprintf("%T", out)
	}
	if !kindAccepts(kind, v.Kind) {
		return Value{}, probFormulaType, v.Text("en")
	}
	return v, probNone, ""
}

func kindAccepts(k Kind, vk ValueKind) bool {
	return vk != ValueNone && vk == valueKindOf(k)
}

// valueKindOf is the kind of value an indicator of kind k takes; none for an unknown kind.
func valueKindOf(k Kind) ValueKind {
	switch k {
	case KindBool:
		return ValueBool
	case KindNumber, KindPercent:
		return ValueNumber
	case KindLevel:
		return ValueLevel
	}
	return ValueNone
}
