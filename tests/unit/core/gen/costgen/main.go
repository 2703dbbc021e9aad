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
	case "update":
		out = updates(data)
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
		list := []map[string]string{}
		for _, e := range validation.ValidateCustomResourceDefinition(context.TODO(), internal) {
			list = append(list, map[string]string{"field": e.Field, "reason": string(e.Type), "message": e.ErrorBody()})
		}
		out = append(out, list)
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
}

// validates: customResourceStrategy.Validate's schema parts on create (OpenAPI, embedded
// ObjectMeta, list types, then CEL unless a blocking error), per case; null if the schema
// is not structural.
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
		var obj map[string]any
		if err := utiljson.Unmarshal(c.Object, &obj); err != nil { // int64 where kube decodes ints
			panic(err)
		}
		errs := apiservervalidation.ValidateCustomResource(nil, obj, validator)
		errs = append(errs, schemaobjectmeta.Validate(context.TODO(), nil, obj, ss, false)...)
		errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, ss, obj)...)
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
				celErrs, _ := v.Validate(context.TODO(), nil, ss, obj, nil, celconfig.RuntimeCELCostBudget)
				errs = append(errs, celErrs...)
			}
		}
		list := []map[string]string{}
		for _, e := range errs {
			list = append(list, map[string]string{"field": e.Field, "reason": string(e.Type), "message": e.ErrorBody()})
		}
		out = append(out, list)
	}
	return out
}

type updCase struct {
	Schema apiextensionsv1.JSONSchemaProps `json:"schema"`
	Object json.RawMessage                 `json:"object"`
	Old    json.RawMessage                 `json:"old"`
}

// updates: customResourceStrategy.ValidateUpdate's schema parts, ratcheting on (its default),
// per case; null if the schema is not structural.
func updates(data []byte) []any {
	var cases []updCase
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
		var obj, old map[string]any
		if err := utiljson.Unmarshal(c.Object, &obj); err != nil {
			panic(err)
		}
		if err := utiljson.Unmarshal(c.Old, &old); err != nil {
			panic(err)
		}
		correlated := common.NewCorrelatedObject(obj, old, &model.Structural{Structural: ss})
		errs := apiservervalidation.ValidateCustomResourceUpdate(nil, obj, old, validator, apiservervalidation.WithRatcheting(correlated))
		errs = append(errs, schemaobjectmeta.Validate(context.TODO(), nil, obj, ss, false)...)
		if oldErrs := structurallisttype.ValidateListSetsAndMaps(nil, ss, old); len(oldErrs) == 0 {
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
				celErrs, _ := v.Validate(context.TODO(), nil, ss, obj, old, celconfig.RuntimeCELCostBudget, cel.WithRatcheting(correlated))
				errs = append(errs, celErrs...)
			}
		}
		list := []map[string]string{}
		for _, e := range errs {
			list = append(list, map[string]string{"field": e.Field, "reason": string(e.Type), "message": e.ErrorBody()})
		}
		out = append(out, list)
	}
	return out
}
