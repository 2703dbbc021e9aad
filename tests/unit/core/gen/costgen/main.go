// costgen: the static CEL cost kube-apiserver v1.37 (apiextensions-apiserver v0.37.2) gives
// x-kubernetes-validations, for kube-annex's tests (tests/unit/core/cel_cost_cases.py,
// tests/unit/core/schema/test_cel_cost.py).
//
//	costgen crd  < [CRD, ...]                      → per CRD, its errors (field, reason, message)
//	costgen cost < [{"schema":…, "rule":…, "messageExpression":…}, ...]
//	                                               → per rule, MaxCost, MaxCardinality,
//	                                                 MessageExpressionMaxCost, error
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel/model"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/common"
	"k8s.io/apiserver/pkg/cel/environment"
)

func main() {
	data, _ := io.ReadAll(os.Stdin)
	var out any
	switch os.Args[1] {
	case "crd":
		out = crds(data)
	case "cost":
		out = costs(data)
	case "validate":
		out = validates(data)
	case "update": // cases with "old"
		out = validates(data)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))
}

func crds(data []byte) [][]map[string]string {
	scheme := runtime.NewScheme()
	apiextensionsv1.AddToScheme(scheme)
	apiextensions.AddToScheme(scheme)
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		panic(err)
	}
	out := [][]map[string]string{}
	for _, raw := range raws {
		v1 := &apiextensionsv1.CustomResourceDefinition{}
		if err := json.Unmarshal(raw, v1); err != nil {
			panic(err)
		}
		scheme.Default(v1)
		internal := &apiextensions.CustomResourceDefinition{}
		if err := scheme.Convert(v1, internal, nil); err != nil {
			panic(err)
		}
		out = append(out, reported(validation.ValidateCustomResourceDefinition(context.TODO(), internal)))
	}
	return out
}

type costCase struct {
	Schema            apiextensionsv1.JSONSchemaProps `json:"schema"`
	Rule              string                          `json:"rule"`
	MessageExpression string                          `json:"messageExpression"`
	OptionalOldSelf   *bool                           `json:"optionalOldSelf"`
}

func costs(data []byte) []map[string]any {
	var cases []costCase
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	envSet := environment.MustBaseEnvSet(environment.DefaultCompatibilityVersion())
	out := []map[string]any{}
	for _, c := range cases {
		internal := &apiextensions.JSONSchemaProps{}
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&c.Schema, internal, nil); err != nil {
			panic(err)
		}
		internal.XValidations = apiextensions.ValidationRules{{Rule: c.Rule, MessageExpression: c.MessageExpression, OptionalOldSelf: c.OptionalOldSelf}}
		s, err := structuralschema.NewStructural(internal)
		if err != nil {
			panic(err)
		}
		results, err := cel.Compile(s, model.SchemaDeclType(s, true), celconfig.PerCallLimit, envSet, cel.NewExpressionsEnvLoader())
		if err != nil {
			panic(err)
		}
		r := results[0]
		res := map[string]any{"cost": r.MaxCost, "cardinality": r.MaxCardinality, "messageCost": r.MessageExpressionMaxCost}
		if r.Error != nil {
			res["error"] = r.Error.Detail
		}
		if r.MessageExpressionError != nil {
			res["messageError"] = r.MessageExpressionError.Detail
		}
		out = append(out, res)
	}
	return out
}

type valCase struct {
	Schema apiextensionsv1.JSONSchemaProps `json:"schema"`
	Object json.RawMessage                 `json:"object"`
	Old    json.RawMessage                 `json:"old"` // absent: a create
}

// validates: customResourceStrategy.Validate's schema parts on create (OpenAPI, embedded
// ObjectMeta, list types, then CEL unless a blocking error), or ValidateUpdate's when a case
// has an old object (ratcheting on, its default), per case; null if the schema is not
// structural.
func validates(data []byte) []any {
	var cases []valCase
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	out := []any{}
	for _, c := range cases {
		internal := &apiextensions.JSONSchemaProps{}
		if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(&c.Schema, internal, nil); err != nil {
			panic(err)
		}
		ss, err := structuralschema.NewStructural(internal)
		if err != nil {
			out = append(out, nil)
			continue
		}
		validator, _, err := apiservervalidation.NewSchemaValidator(internal)
		if err != nil {
			out = append(out, nil)
			continue
		}
		obj, old := decoded(c.Object), decoded(c.Old)
		var errs field.ErrorList
		var celOptions []cel.Option
		if old == nil {
			errs = apiservervalidation.ValidateCustomResource(nil, obj, validator)
		} else {
			correlated := common.NewCorrelatedObject(obj, old, &model.Structural{Structural: ss})
			errs = apiservervalidation.ValidateCustomResourceUpdate(nil, obj, old, validator, apiservervalidation.WithRatcheting(correlated))
			celOptions = append(celOptions, cel.WithRatcheting(correlated))
		}
		errs = append(errs, schemaobjectmeta.Validate(context.TODO(), nil, obj, ss, false)...)
		// list types ratchet whole: checked on update only if the old object passed
		if old == nil || len(structurallisttype.ValidateListSetsAndMaps(nil, ss, old)) == 0 {
			errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, ss, obj)...)
		}
		blocking := false
		for _, e := range errs {
			if e.Type == field.ErrorTypeNotSupported || e.Type == field.ErrorTypeRequired || e.Type == field.ErrorTypeTooLong || e.Type == field.ErrorTypeTooMany || e.Type == field.ErrorTypeTypeInvalid {
				blocking = true
			}
		}
		if v := cel.NewValidator(ss, true, celconfig.PerCallLimit); v != nil {
			if blocking {
				errs = append(errs, field.Invalid(nil, nil, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
			} else {
				var oldObj any
				if old != nil {
					oldObj = old
				}
				celErrs, _ := v.Validate(context.TODO(), nil, ss, obj, oldObj, celconfig.RuntimeCELCostBudget, celOptions...)
				errs = append(errs, celErrs...)
			}
		}
		out = append(out, reported(errs))
	}
	return out
}

// decoded: a JSON object as kube decodes it (int64 for integers), nil for none.
func decoded(raw json.RawMessage) map[string]any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var obj map[string]any
	if err := utiljson.Unmarshal(raw, &obj); err != nil {
		panic(err)
	}
	return obj
}

// reported: errors as the tests compare them.
func reported(errs field.ErrorList) []map[string]string {
	list := []map[string]string{}
	for _, e := range errs {
		list = append(list, map[string]string{"field": e.Field, "reason": string(e.Type), "message": e.ErrorBody()})
	}
	return list
}
