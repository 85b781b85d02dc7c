"""doccano's development settings for the consumer test: temporary folders, imports in-process."""

import os

from config.settings.development import *  # noqa: F401,F403

DJANGO_DRF_FILEPOND_UPLOAD_TMP = os.path.join(os.environ["CROSSCHECK_DOCCANO_DATA"], "filepond-temp-uploads")
DJANGO_DRF_FILEPOND_FILE_STORE_PATH = MEDIA_ROOT  # noqa: F405
DJANGO_DRF_FILEPOND_ALLOW_EXTERNAL_UPLOAD_DIR = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_BROKER_URL = "memory://"
