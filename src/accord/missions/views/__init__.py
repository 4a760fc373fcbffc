"""Web pages of the missions capability (thin: the service layer does the work).

One module per sub-domain: ``register`` (list, mission page), ``participations``
(invite, workflow steps), ``forcegen`` (requirements, offers), ``secondment``
(calls for seconded posts); ``common`` holds what they share.
"""
