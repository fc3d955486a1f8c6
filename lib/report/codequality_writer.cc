// placeholder: implemented by the report writers change
