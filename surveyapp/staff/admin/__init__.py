"""The admin pages of the staff area, one module per resource: campaigns, the organisation
(units, functions, roster) and users, with their forms in `forms`."""

from surveyapp.staff.admin import campaigns, org, users

__all__ = ["campaigns", "org", "users"]
