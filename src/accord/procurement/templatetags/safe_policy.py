"""What the signed-in user may do to a record, for showing or hiding a button (the policy decides)."""

from django import template

from accord.platform import policy

register = template.Library()


@register.simple_tag
def may(user, action, record=None):
    return policy.can(user, action, record)
